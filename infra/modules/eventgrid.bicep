@description('Name of the Event Grid system topic of the storage account.')
param name string

@description('Storage account whose BlobCreated events feed the blob trigger.')
param storageAccountName string

@description('Azure region.')
param location string

param tags object

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

// The topic's own identity writes undeliverable events to the dead-letter container (roles.bicep); the subscription
// into the blob trigger is infra/eventgrid.bicep, deployed after the code is published.
resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: name
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output topicName string = topic.name
