@description('Function app name (also the host name prefix).')
param name string

@description('Azure region.')
param location string

param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity, for identity-based connections.')
param identityClientId string

@description('Blob, queue and table endpoints of the storage account.')
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string

@description('Deployment storage container for the app package.')
param deploymentContainerName string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Key Vault holding the smtp-password secret.')
param keyVaultName string

@description('Application settings of the pipeline itself (Mail__*, schedules, Rules__Path).')
param pipelineSettings object

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@allowed([512, 2048, 4096])
param instanceMemoryMB int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    // Flex Consumption: runtime, scale and deployment live here, not in FUNCTIONS_WORKER_RUNTIME,
    // WEBSITE_RUN_FROM_PACKAGE or linuxFxVersion, which Flex rejects.
    functionAppConfig: {
      runtime: { name: 'dotnet-isolated', version: '10.0' }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
    }
  }
}

// Identity-based connections: the host's own storage (AzureWebJobsStorage) and the pipeline's data (SafetyStorage,
// the Connection of the blob trigger and the clients in Program.cs) are the same account.
var hostSettings = {
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  SafetyStorage__blobServiceUri: blobEndpoint
  SafetyStorage__queueServiceUri: queueEndpoint
  SafetyStorage__tableServiceUri: tableEndpoint
  SafetyStorage__credential: 'managedidentity'
  SafetyStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // By vault and secret name, latest version: the secret need not exist when this deploys (it is written only when given).
  Mail__Smtp__Password: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=smtp-password)'
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(hostSettings, pipelineSettings)
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output appSettingNames array = objectKeys(union(hostSettings, pipelineSettings))
